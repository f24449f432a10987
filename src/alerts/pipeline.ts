import { noticeStage } from './build-notification.ts';
import { evaluateStage } from './evaluate-stage.ts';
import { muteStage } from './mute.ts';
import { queueStage } from './queue-stage.ts';
import { routeStage } from './route-notification.ts';
import { STORE, type Pipeline } from './stage.ts';
import { transitionStage } from './transition-stage.ts';

/**
 * The evaluation pipeline, composed here and nowhere else: evaluate → transition → (store) →
 * notice → mute → route → queue. Every entry is a Stage; a new stage is added to this list only.
 * The stages before STORE judge the tick's rules; those after it turn each stored episode's event
 * into outbox rows, in the store's transaction.
 */
export const PIPELINE: Pipeline = [evaluateStage, transitionStage, STORE, noticeStage, muteStage, routeStage, queueStage];
