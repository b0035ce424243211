import { CreateErp1763910000000 } from './1763910000000-create-erp.js';
import { CalendarRules1765070000000 } from './1765070000000-calendar-rules.js';
import { SentMessages1765100000000 } from './1765100000000-sent-messages.js';

/** Every tool-executor migration, oldest first. */
export const migrations = [CreateErp1763910000000, CalendarRules1765070000000, SentMessages1765100000000];
