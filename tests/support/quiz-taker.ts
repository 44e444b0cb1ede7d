/**
 * Answers quiz questions through the screen as a learner would, right or wrong on purpose. The
 * answer key comes from the course's own quiz files (the same ones the phone downloaded).
 */
import { expect, type Page } from '@playwright/test';
import type { Question, Quiz } from '../../src/lib/course-format/quiz';

export class QuizTaker {
	constructor(private readonly page: Page) {}

	/** Answers question `index` of `quiz` correctly (or wrongly), waiting until it is saved. */
	async answer(quiz: Quiz, index: number, right = true): Promise<void> {
		const question = quiz.questions[index]!;
		const card = this.page.locator('section.question').nth(index);
		await expect(card).toContainText(question.prompt);
		const answeredBefore = await this.answeredCount();
		await this.fill(card, question, right);
		await expect.poll(() => this.answeredCount()).toBeGreaterThan(answeredBefore);
	}

	async answeredCount(): Promise<number> {
		const text = (await this.page.getByRole('status').filter({ hasText: /answered/ }).textContent()) ?? '';
		return Number(/(\d+) of \d+ answered/.exec(text)?.[1] ?? -1);
	}

	private async fill(card: ReturnType<Page['locator']>, question: Question, right: boolean): Promise<void> {
		switch (question.type) {
			case 'single': {
				const option = question.options.find((o) => o.correct === right)!;
				return card.getByRole('radio', { name: option.text, exact: true }).check();
			}
			case 'multiple': {
				const chosen = right ? question.options.filter((o) => o.correct) : [question.options.find((o) => !o.correct) ?? question.options[0]!];
				for (const option of chosen) await card.getByRole('checkbox', { name: option.text, exact: true }).check();
				return;
			}
			case 'true-false':
				return card.getByRole('radio', { name: question.answer === right ? 'True' : 'False', exact: true }).check();
			case 'numeric':
				return card.getByRole('textbox').fill(String(right ? question.answer : question.answer + question.tolerance + 1));
			case 'text':
				return card.getByRole('textbox').fill(right ? question.accepted[0]! : 'something else entirely');
			case 'matching':
				for (const [i, pair] of question.pairs.entries()) {
					const right_ = right ? pair : question.pairs[(i + 1) % question.pairs.length]!;
					await card.getByRole('combobox', { name: pair.left, exact: true }).selectOption({ label: right_.right });
				}
				return;
			case 'ordering': {
				// Move each item up into its place, first to last.
				const wanted = right ? question.items : [...question.items].reverse();
				for (const [place, item] of wanted.entries()) {
					const shown = await card.locator('li .text').allTextContents();
					for (let at = shown.indexOf(item.text); at > place; at--) {
						await card.getByRole('button', { name: `Move up: ${item.text}`, exact: true }).click();
					}
				}
				await expect.poll(() => card.locator('li .text').allTextContents()).toEqual(wanted.map((i) => i.text));
				return;
			}
		}
	}
}
