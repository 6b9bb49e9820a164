import type { ClauseEntry } from '../types.js';
import { art3_1 } from './art3-1-notice.js';
import { art3_2_6 } from './art3-2-6-further-items.js';
import { art3_3 } from './art3-3-containment.js';
import { art4_2_response } from './art4-2-cooperation-response.js';
import { art4_2_delivery } from './art4-2-delivery.js';
import { art6_2 } from './art6-2-emergency-consultation.js';

/**
 * The clause registry: every clause that makes a party do something by some time. The engine only
 * iterates this list (open to extension, closed to modification): adding a clause is adding a file
 * beside this one and a line here. Order is display order for equal due times.
 */
export const CLAUSES: readonly ClauseEntry[] = [
  art3_1,
  art3_3,
  art3_2_6,
  ...art4_2_response,
  ...art4_2_delivery,
  art6_2,
];
