/**
 * The order a learner sees options, right-hand sides and items in. It comes from a seed stored in
 * the attempt, so a resumed attempt (or a reloaded page, or the coordinator's review) shows the
 * same order. Answers name ids, never positions, so scoring never depends on this order.
 * Isomorphic: no DOM, no Node APIs, no `$lib` imports.
 */
import type { Question } from '../course-format/quiz.js';

/**
 * Bump when the same seed would give a different order (another hash, generator or shuffle).
 * An attempt resumed across such an update would show another order; answers name ids, so its
 * score would not change.
 */
export const PRESENTATION_ORDER_VERSION = 1;

/** Ids in the order shown; a question type that is not shuffled gets an empty object. */
export interface Presentation {
	/** single and multiple: option ids. */
	options?: string[];
	/** matching: right-hand pair ids; the left-hand sides stay in authored order. */
	rights?: string[];
	/** ordering: item ids in the starting order, never already the correct one. */
	items?: string[];
}

/** Per question id. Questions themselves keep their authored order: later ones may build on earlier. */
export function presentationOrder(quiz: { questions: readonly Question[] }, seed: string): Record<string, Presentation> {
	const orders: Record<string, Presentation> = {};
	for (const question of quiz.questions) {
		// Seeded per question, so adding or removing a question leaves the others' orders alone.
		// Ids cannot contain ':', so seed and id cannot run into one another ambiguously.
		const random = mulberry32(fnv1a32(`${seed}:${question.id}`));
		orders[question.id] = presentationOf(question, random);
	}
	return orders;
}

function presentationOf(question: Question, random: () => number): Presentation {
	switch (question.type) {
		case 'single':
		case 'multiple':
			return { options: shuffle(question.options.map((o) => o.id), random) };
		case 'matching':
			// Rights may land beside their own lefts: forbidding it would give away a two-pair question.
			return { rights: shuffle(question.pairs.map((p) => p.id), random) };
		case 'ordering': {
			const correct = question.items.map((i) => i.id);
			const items = shuffle(correct, random);
			// A question that starts solved asks nothing; swapping the first two is cheap and always differs.
			if (items.length >= 2 && items.every((id, i) => id === correct[i])) [items[0], items[1]] = [items[1]!, items[0]!];
			return { items };
		}
		case 'true-false':
		case 'numeric':
		case 'text':
			return {};
	}
}

/** Fisher–Yates (Durstenfeld) shuffle of a copy. */
function shuffle<T>(values: readonly T[], random: () => number): T[] {
	const out = [...values];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[out[i], out[j]] = [out[j]!, out[i]!];
	}
	return out;
}

/** FNV-1a, 32-bit, over UTF-16 code units: a string seed to a number seed. */
function fnv1a32(text: string): number {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

/**
 * mulberry32 (Tommy Ettinger): a tiny 32-bit generator, plenty for shuffling six options. Only
 * integer operations, so every JavaScript engine gives the same sequence. Returns [0, 1).
 */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
