/** Writes a tiny but complete course folder (two languages, every lesson kind) for CLI tests. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const COURSE_YAML = `id: tiny-course
version: 1
publisher: test-publisher
licence: CC-BY-4.0
languages: [en, hi]
passMark: 60
title: { en: Tiny course, hi: छोटा कोर्स }
description: { en: For tests, hi: परीक्षण के लिए }
modules:
  - id: basics
    title: { en: Basics, hi: मूल बातें }
    lessons:
      - id: intro
        kind: text
        minutes: 3
        title: { en: Intro, hi: परिचय }
        body: { en: lessons/en/intro.md, hi: lessons/hi/intro.md }
      - id: listen
        kind: audio
        minutes: 1
        title: { en: Listen, hi: सुनिए }
        audio: { en: media/listen.en.ogg, hi: media/listen.hi.ogg }
        transcript: { en: lessons/en/listen.md, hi: lessons/hi/listen.md }
      - id: check
        kind: quiz
        minutes: 4
        title: { en: Check, hi: जाँच }
        quiz: quizzes/check.yaml
`;

export const QUIZ_YAML = `questions:
  - id: pick
    type: single
    prompt: { en: Pick one, hi: एक चुनें }
    options:
      - id: a
        text: { en: Right, hi: सही }
        correct: true
        feedback: { en: Yes, hi: हाँ }
      - id: b
        text: { en: Wrong, hi: गलत }
        feedback: { en: No, hi: नहीं }
  - id: name-it
    type: text
    prompt: { en: Name the standard, hi: मानक का नाम }
    accepted: { en: [OCDS], hi: [OCDS, ओसीडीएस] }
    feedback:
      correct: { en: Right, hi: सही }
      incorrect: { en: Not quite, hi: पूरी तरह नहीं }
`;

export const FILES: Record<string, string> = {
	'course.yaml': COURSE_YAML,
	'quizzes/check.yaml': QUIZ_YAML,
	'lessons/en/intro.md': '## Hello\n\nValue for money.\n\n![Five stages](../../media/stages.png)\n\n<script>alert(1)</script>\n\n[Read more](https://www.open-contracting.org)\n',
	'lessons/hi/intro.md': '## नमस्ते\n\nपैसे का सही मूल्य।\n\n![पाँच चरण](../../media/stages.png)\n',
	'lessons/en/listen.md': 'The five principles.\n',
	'lessons/hi/listen.md': 'पाँच सिद्धांत।\n',
	'media/stages.png': 'PNG',
	'media/listen.en.ogg': 'OGG-EN',
	'media/listen.hi.ogg': 'OGG-HI'
};

export async function writeCourse(changes: Record<string, string | null> = {}): Promise<string> {
	const dir = await mkdtemp(join(tmpdir(), 'sikho-course-'));
	for (const [path, text] of Object.entries({ ...FILES, ...changes })) {
		if (text === null) continue;
		await mkdir(dirname(join(dir, path)), { recursive: true });
		await writeFile(join(dir, path), text);
	}
	return dir;
}
