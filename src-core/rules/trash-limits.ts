/** The longest the trash keeps a deleted snapshot, in days: the store refuses more, and Settings says so first. */
export const MAX_RETENTION_DAYS = 3650;
