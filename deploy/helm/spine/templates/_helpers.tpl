{{/* The generated service list, each entry merged with .Values.services.<name>. */}}
{{- define "spine.services" -}}
{{- $catalog := .Files.Get "files/services.yaml" | fromYaml -}}
{{- $out := list -}}
{{- range $catalog.services -}}
{{- $override := index $.Values.services .name | default dict -}}
{{- $svc := mergeOverwrite (deepCopy .) (deepCopy $override) -}}
{{- if ne (toString (index $svc "enabled")) "false" -}}
{{- $out = append $out $svc -}}
{{- end -}}
{{- end -}}
{{- toYaml (dict "services" $out) -}}
{{- end -}}

{{- define "spine.common" -}}
{{- $catalog := .Files.Get "files/services.yaml" | fromYaml -}}
{{- toYaml (mergeOverwrite (deepCopy $catalog.common) (dict "NATS_URL" .Values.nats.url) .Values.config) -}}
{{- end -}}

{{- define "spine.image" -}}
{{- if contains "@" .Values.image.repository -}}
{{ .Values.image.repository }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "spine.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: spine
{{- end -}}

{{/* ctx: dict root name component */}}
{{- define "spine.labels" -}}
{{ include "spine.selectorLabels" (dict "name" .name) }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
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

{{- define "spine.dnsEgress" -}}
- to:
    - {{- include "spine.peer" .Values.networkPolicy.dns | nindent 6 }}
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

{{/* AGENT_SECRET_KEY (required) and AGENT_SECRET_KEY_PREVIOUS (optional, while rotating), from one Secret. */}}
{{- define "spine.agentSecretKeyEnv" -}}
- name: AGENT_SECRET_KEY
  valueFrom: {secretKeyRef: {name: {{ .Values.secrets.agentSecretKey.name }}, key: {{ .Values.secrets.agentSecretKey.key }}}}
- name: AGENT_SECRET_KEY_PREVIOUS
  valueFrom: {secretKeyRef: {name: {{ .Values.secrets.agentSecretKey.name }}, key: {{ .Values.secrets.agentSecretKey.previousKey }}, optional: true}}
{{- end -}}
