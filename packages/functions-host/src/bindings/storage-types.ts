/** The binding types of the storage bindings, lower-cased (a leaf module, so the index can import it without a cycle). */
export const TIMER_TRIGGER_TYPE = 'timertrigger';
export const QUEUE_TRIGGER_TYPE = 'queuetrigger';
export const BLOB_TRIGGER_TYPE = 'blobtrigger';
export const QUEUE_OUTPUT_TYPE = 'queue';
export const BLOB_TYPE = 'blob';
export const TABLE_TYPE = 'table';

export const STORAGE_TRIGGER_TYPES: readonly string[] = [TIMER_TRIGGER_TYPE, QUEUE_TRIGGER_TYPE, BLOB_TRIGGER_TYPE];
export const STORAGE_INPUT_TYPES: readonly string[] = [BLOB_TYPE, TABLE_TYPE];
export const STORAGE_OUTPUT_TYPES: readonly string[] = [QUEUE_OUTPUT_TYPE, BLOB_TYPE, TABLE_TYPE];
