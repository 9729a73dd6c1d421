/** Kysely table types of the policy control plane and the campaign log (0004_policy.sql and later): policy versions
 * and runs, arms, knocks, outcomes. */
import type { ColumnType, Generated, GeneratedAlways } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
type JsonObject = ColumnType<Record<string, unknown>, string | undefined, string>;
/** Insertion order, an identity (0010_event_order.sql). pg reads int8 as text, PGlite as a number. */
type Seq = GeneratedAlways<string | number>;

export interface PolicyConfigTable {
  tenant_id: string;
  mode: string;
  version: number;
  params: JsonObject;
  created_at: Timestamp;
}

export interface PolicyRunTable {
  tenant_id: string;
  run_id: Generated<string>;
  storm_id: string;
  mode: string;
  version: number;
  seed: ColumnType<string, number | string, number | string>;
  shadow: boolean;
  params: JsonObject;
  result: JsonObject;
  /** The design batch the run belongs to (migration 0024). */
  batch: Generated<number>;
  created_at: Timestamp;
  seq: Seq;
}

export interface AssignmentTable {
  tenant_id: string;
  property_id: string;
  storm_id: string;
  arm: string;
  stratum: Nullable<string>;
  uplift: Nullable<number>;
  uplift_decile: Nullable<number>;
  run_id: string;
  assigned_at: Timestamp;
  territory: Nullable<number>;
  walk_seq: Nullable<number>;
  canvasser: Nullable<string>;
}

export interface KnockTable {
  tenant_id: string;
  knock_id: Generated<string>;
  storm_id: string;
  property_id: string;
  canvasser: string;
  result: string;
  knocked_at: Timestamp;
  arm: Nullable<string>;
  contaminated: Generated<boolean>;
  idempotency_key: Nullable<string>;
  recorded_at: Timestamp;
}

export interface OutcomeTable {
  tenant_id: string;
  outcome_id: Generated<string>;
  storm_id: string;
  property_id: string;
  converted: boolean;
  value_cents: ColumnType<string, number | string, number | string>;
  idempotency_key: string;
  supersedes: Nullable<string>;
  is_current: Generated<boolean>;
  late: Generated<boolean>;
  source: Generated<string>;
  recorded_at: Timestamp;
}
