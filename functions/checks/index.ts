/**
 * The check catalogue: the single source of check ids. Listed explicitly so the bundler sees
 * every check. Adding a check: its file, one line here, its test, then `npm run gen`.
 */
import type { Check } from '../core/check';
import type { CheckId } from '../core/finding';
import { cce1 } from './cce-1';
import { cce2 } from './cce-2';
import { cce3 } from './cce-3';
import { cce4 } from './cce-4';
import { cce5 } from './cce-5';
import { cce6 } from './cce-6';
import { cce7 } from './cce-7';
import { cce8 } from './cce-8';
import { cce9 } from './cce-9';
import { cce10 } from './cce-10';
import { cce11 } from './cce-11';
import { cce12 } from './cce-12';
import { cce13 } from './cce-13';
import { cce14 } from './cce-14';

export const CATALOGUE: readonly Check[] = [
  cce1,
  cce2,
  cce3,
  cce4,
  cce5,
  cce6,
  cce7,
  cce8,
  cce9,
  cce10,
  cce11,
  cce12,
  cce13,
  cce14,
];

/** Every check id, in catalogue order: the default `checks` parameter and the known ids. */
export const CHECK_IDS: readonly CheckId[] = CATALOGUE.map((check) => check.id);
