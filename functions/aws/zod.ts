/** zod/mini with English messages only (the locales namespace would bundle every language). Import for its effect. */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
