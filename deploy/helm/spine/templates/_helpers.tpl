{{/* `<release>` when it contains the chart name, `<release>-spine` otherwise; fullnameOverride wins. */}}
{{- define "spine.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* ctx: dict root name: `<fullname>-<name>` */}}
{{- define "spine.resourceName" -}}
{{- printf "%s-%s" (include "spine.fullname" .root) .name -}}
{{- end -}}

{{/* A Secret's name: the value when set, `<fullname>-<default>` otherwise. ctx: dict root value default */}}
{{- define "spine.secretName" -}}
{{- .value | default (printf "%s-%s" (include "spine.fullname" .root) .default) -}}
{{- end -}}

{{/* Bytes in a Kubernetes quantity (Ki Mi Gi Ti Pi Ei, k M G T P E, m, plain, exponent), as a float. */}}
{{- define "spine.bytes" -}}
{{- $q := toString . -}}
{{- $num := regexFind "^[0-9]+(\\.[0-9]+)?([eE][0-9]+)?" $q -}}
{{- $suffix := trimPrefix $num $q -}}
{{- $factors := dict "" 1.0 "m" 0.001 "k" 1000.0 "M" 1000000.0 "G" 1000000000.0 "T" 1000000000000.0 "P" 1000000000000000.0 "E" 1000000000000000000.0 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 -}}
{{- if or (not $num) (not (hasKey $factors $suffix)) -}}
{{- fail (printf "%q is not a Kubernetes quantity" $q) -}}
{{- end -}}
{{- mulf (float64 $num) (index $factors $suffix) -}}
{{- end -}}

{{/* The generated service list, each entry merged with .Values.services.<name>; config holds the final env. */}}
{{- define "spine.services" -}}
{{- $catalog := .Files.Get "files/services.yaml" | fromYaml -}}
{{- $fullname := include "spine.fullname" . -}}
{{- $out := list -}}
{{- range $catalog.services -}}
{{- $override := deepCopy (index $.Values.services .name | default dict) -}}
{{- $userConfig := $override.config | default dict -}}
{{- $_ := unset $override "config" -}}
{{- $svc := mergeOverwrite (deepCopy .) $override -}}
{{- if ne (toString (index $svc "enabled")) "false" -}}
{{- $config := omit .config "NODE_OPTIONS" -}}
{{- /* V8 heap: three quarters of the memory limit, from any Kubernetes quantity. */ -}}
{{- $heap := divf (mulf (include "spine.bytes" $svc.resources.limits.memory | float64) 0.75) 1048576.0 | floor | int -}}
{{- $_ := set $config "NODE_OPTIONS" (printf "--max-old-space-size=%d" $heap) -}}
{{- $_ := set $config "NATS_USER" (printf "%s-%s" $fullname .name) -}}
{{- if $.Values.adminPort }}{{ $_ := set $config "ADMIN_PORT" (toString $.Values.adminPort) }}{{ end -}}
{{- if $svc.database }}{{ $_ := set $config "DATABASE_POOL_SIZE" (toString $.Values.postgres.poolSize) }}{{ end -}}
{{- if $svc.vectorStore }}{{ $_ := set $config "QDRANT_URL" $.Values.qdrant.url }}{{ $_ := set $config "QDRANT_REPLICATION_FACTOR" (toString $.Values.qdrant.replicationFactor) }}{{ end -}}
{{- if $svc.grpcPort }}{{ $_ := set $config "GRPC_PORT" (toString $svc.grpcPort) }}{{ else }}{{ $_ := unset $config "GRPC_PORT" }}{{ end -}}
{{- $_ := set $config "HTTP_PORT" (toString $svc.httpPort) -}}
{{- $_ := set $svc "config" (mergeOverwrite $config $userConfig) -}}
{{- $_ := set $svc "resourceName" (printf "%s-%s" $fullname .name) -}}
{{- $out = append $out $svc -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "services" $out) -}}
{{- end -}}

{{- define "spine.common" -}}
{{- $catalog := .Files.Get "files/services.yaml" | fromYaml -}}
{{- $nats := dict "NATS_URL" .Values.nats.url "NATS_STREAM_REPLICAS" (toString .Values.nats.streams.replicas) -}}
{{- if .Values.nats.streams.maxBytes }}{{ $_ := set $nats "NATS_STREAM_MAX_BYTES" (printf "%.0f" (include "spine.bytes" .Values.nats.streams.maxBytes | float64)) }}{{ end -}}
{{- if .Values.nats.tls.enabled -}}
{{- $_ := set $nats "NATS_TLS_CA" "/etc/spine/nats-tls/ca.crt" -}}
{{- if .Values.nats.tls.clientCertificate }}{{ $_ := set $nats "NATS_TLS_CERT" "/etc/spine/nats-tls/tls.crt" }}{{ $_ := set $nats "NATS_TLS_KEY" "/etc/spine/nats-tls/tls.key" }}{{ end -}}
{{- end -}}
{{- toYaml (mergeOverwrite (deepCopy $catalog.common) $nats .Values.config) -}}
{{- end -}}

{{- define "spine.image" -}}
{{- $ref := .Values.image.repository -}}
{{- if .Values.image.tag }}{{ $ref = printf "%s:%s" $ref .Values.image.tag }}{{ else if not .Values.image.digest }}{{ $ref = printf "%s:%s" $ref .Chart.AppVersion }}{{ end -}}
{{- if .Values.image.digest }}{{ $ref = printf "%s@%s" $ref .Values.image.digest }}{{ end -}}
{{- $ref -}}
{{- end -}}

{{/* ctx: dict root name */}}
{{- define "spine.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/part-of: spine
{{- end -}}

{{/* ctx: dict root name component */}}
{{- define "spine.labels" -}}
{{ include "spine.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end -}}

{{- define "spine.peer" -}}
namespaceSelector:
  matchLabels:
    kubernetes.io/metadata.name: {{ .namespace }}
podSelector:
  matchLabels:
    {{- toYaml .podLabels | nindent 4 }}
{{- end -}}

{{- define "spine.containerSecurity" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "spine.podSecurity" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Scheduling knobs and pull secrets every Spine pod gets. */}}
{{- define "spine.podScheduling" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "spine.dnsEgress" -}}
- to:
    - {{- include "spine.peer" .Values.networkPolicy.dns | nindent 6 }}
    {{- range .Values.networkPolicy.dns.extraCidrs }}
    - ipBlock: {cidr: {{ . }}}
    {{- end }}
  ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end -}}

{{- define "spine.postgresEgress" -}}
- to:
    {{- if .Values.postgres.externalCidr }}
    - ipBlock: {cidr: {{ .Values.postgres.externalCidr }}}
    {{- else }}
    - {{- include "spine.peer" .Values.postgres | nindent 6 }}
    {{- end }}
  ports:
    - {protocol: TCP, port: {{ .Values.postgres.port }}}
{{- end -}}

{{/* Secrets a service reads, by reference only. ctx: dict root service */}}
{{- define "spine.secretEnv" -}}
{{- $root := .root -}}
{{- $s := $root.Values.secrets -}}
- name: NATS_PASSWORD
  valueFrom: {secretKeyRef: {name: {{ printf "%s%s" (include "spine.secretName" (dict "root" $root "value" $s.natsPrefix "default" "nats-")) .service.name }}, key: password}}
{{- if .service.database }}
- name: DATABASE_URL
  valueFrom: {secretKeyRef: {name: {{ printf "%s%s" (include "spine.secretName" (dict "root" $root "value" $s.databasePrefix "default" "db-")) .service.name }}, key: uri}}
{{- end }}
{{- if .service.vectorStore }}
- name: QDRANT_API_KEY
  valueFrom: {secretKeyRef: {name: {{ include "spine.secretName" (dict "root" $root "value" $s.qdrant.name "default" "qdrant") }}, key: {{ $s.qdrant.key }}}}
{{- end }}
{{- if .service.llm }}
- name: OPENAI_API_KEY
  valueFrom: {secretKeyRef: {name: {{ include "spine.secretName" (dict "root" $root "value" $s.llm.name "default" "llm") }}, key: {{ $s.llm.key }}, optional: true}}
{{- end }}
{{- if .service.sealsAgentSecrets }}
{{- $key := include "spine.secretName" (dict "root" $root "value" $s.agentSecretKey.name "default" "agent-secret-key") }}
- name: AGENT_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ $key }}, key: {{ $s.agentSecretKey.key }}}}
- name: AGENT_SECRET_KEY_PREVIOUS
  valueFrom: {secretKeyRef: {name: {{ $key }}, key: {{ $s.agentSecretKey.previousKey }}, optional: true}}
{{- end }}
{{- if .service.operatorApi }}
- name: OPERATOR_TOKEN
  valueFrom: {secretKeyRef: {name: {{ include "spine.secretName" (dict "root" $root "value" $s.operatorToken.name "default" "registry-operator") }}, key: {{ $s.operatorToken.key }}, optional: true}}
{{- end }}
{{- with $root.Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- with .service.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Volumes and mounts every Spine pod gets: /tmp, NATS TLS, extras. */}}
{{- define "spine.volumeMounts" -}}
- {name: tmp, mountPath: /tmp}
{{- if .Values.nats.tls.enabled }}
- {name: nats-tls, mountPath: /etc/spine/nats-tls, readOnly: true}
{{- end }}
{{- with .Values.extraVolumeMounts }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* ctx: dict root sizeLimit */}}
{{- define "spine.volumes" -}}
- name: tmp
  emptyDir: {sizeLimit: {{ .sizeLimit }}}
{{- if .root.Values.nats.tls.enabled }}
- name: nats-tls
  secret: {secretName: {{ include "spine.secretName" (dict "root" .root "value" .root.Values.nats.tls.secretName "default" "nats-tls") }}}
{{- end }}
{{- with .root.Values.extraVolumes }}
{{ toYaml . }}
{{- end }}
{{- end -}}
