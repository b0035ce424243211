import { Column, Entity, PrimaryColumn } from 'typeorm';

export type StateName = 'healthy' | 'unhealthy' | 'gone';

@Entity({ name: 'agent_instances' })
export class AgentInstanceEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'text' })
  instanceId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  version!: string;

  /** The card as registered, protobuf-encoded. */
  @Column({ type: 'bytea' })
  card!: Buffer;

  @Column({ type: 'text', array: true })
  capabilities!: string[];

  @Column({ type: 'text' })
  state!: StateName;

  @Column({ name: 'in_flight', type: 'integer' })
  inFlight!: number;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt!: Date;

  @Column({ name: 'last_heartbeat_at', type: 'timestamptz' })
  lastHeartbeatAt!: Date;

  @Column({ name: 'state_changed_at', type: 'timestamptz' })
  stateChangedAt!: Date;

  @Column({ name: 'deregistered_at', type: 'timestamptz', nullable: true })
  deregisteredAt!: Date | null;
}
