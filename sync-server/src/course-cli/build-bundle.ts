/**
 * Course folder → signed bundle (docs/course-bundle.md). Every problem in the source is
 * collected and reported together, each with its file and line, before anything is written.
 */
import { extname } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { zipTime } from '../../../src/lib/course-format/bundle-writer.js';
import { sha256Hex } from '../../../src/lib/course-format/bytes.js';
import {
	BUNDLE_FORMAT_VERSION,
	MANIFEST_FILE,
	parseManifest,
	SIGNATURE_FILE,
	type Lesson,
	type Manifest
} from '../../../src/lib/course-format/manifest.js';
import { quizSchema } from '../../../src/lib/course-format/quiz.js';
import { signManifest } from '../../../src/lib/course-format/signature.js';
import { readCourseSource, readQuizSource, type LessonSource, type QuizSource } from './course-source.js';
import { localizeQuestion } from './localize-quiz.js';
import { mediaBundlePath, renderLesson } from './render-lesson.js';
import { CourseSourceError, type SourceProblem } from './source-problems.js';
import { readSourceFile, type PathPart, type SourceYaml } from './source-yaml.js';

export const AUDIO_TYPES = ['.ogg', '.opus', '.mp3', '.m4a'];
/** Already compressed: zipping them again costs time and saves nothing. */
const STORED = /\.(png|jpe?g|webp|gif|ogg|opus|mp3|m4a)$/;

export interface BuiltBundle {
	zip: Uint8Array;
	manifest: Manifest;
	manifestBytes: Uint8Array;
	signature: string;
	files: Map<string, Uint8Array>;
}

export interface BuildOptions {
	privateKey: string;
	createdAt?: Date;
}

const utf8 = (text: string) => new TextEncoder().encode(text);

class BundleFiles {
	readonly files = new Map<string, Uint8Array>();
	private readonly sources = new Map<string, string>();

	constructor(
		private readonly courseDir: string,
		private readonly problems: SourceProblem[]
	) {}

	add(path: string, bytes: Uint8Array): void {
		this.files.set(path, bytes);
	}

	/** Copies a media file in; two different files may not claim one name. */
	async addMedia(source: string, bundlePath: string, problemAt: () => SourceProblem): Promise<void> {
		const earlier = this.sources.get(bundlePath);
		if (earlier === source) return;
		if (earlier !== undefined) {
			const p = problemAt();
			this.problems.push({ ...p, message: `${p.message}: "${source}" and "${earlier}" would both be ${bundlePath}; rename one` });
			return;
		}
		this.sources.set(bundlePath, source);
		this.add(bundlePath, await readSourceFile(this.courseDir, source));
	}
}

export async function buildBundle(courseDir: string, options: BuildOptions): Promise<BuiltBundle> {
	const { course, yaml } = await readCourseSource(courseDir);
	const problems: SourceProblem[] = [];
	const bundle = new BundleFiles(courseDir, problems);

	const pickFrom = (source: SourceYaml, language: string) => (text: Record<string, string>, path: PathPart[]) => {
		const value = text[language];
		if (value === undefined) problems.push(source.problem(path, `missing language "${language}"`));
		return value ?? '';
	};
	const localized = (text: Record<string, string>, path: PathPart[]) =>
		Object.fromEntries(course.languages.map((language) => [language, pickFrom(yaml, language)(text, path)]));

	const quizzes = new Map<string, Promise<{ quiz: QuizSource; yaml: SourceYaml } | undefined>>();
	const quizSource = (file: string, at: PathPart[]) => {
		if (!quizzes.has(file)) {
			quizzes.set(
				file,
				readQuizSource(courseDir, file).catch((error: unknown) => {
					if (!(error instanceof CourseSourceError)) throw error;
					// A missing quiz file is best found from the course.yaml line that names it.
					const missing = error.problems.length === 1 && error.problems[0]?.message === 'file not found';
					problems.push(...(missing ? [yaml.problem([...at, 'quiz'], `file not found: ${file}`)] : error.problems));
					return undefined;
				})
			);
		}
		return quizzes.get(file)!;
	};

	const lessonContent = async (lesson: LessonSource, at: PathPart[], language: string): Promise<Lesson['content'][string] | undefined> => {
		const pathIn = (paths: Record<string, string>, key: string) => pickFrom(yaml, language)(paths, [...at, key]);
		const fileName = `${lesson.id}.${language}`;
		const renderInto = async (markdownFile: string, key: string) => {
			if (!markdownFile) return undefined;
			const rendered = await renderLesson(courseDir, markdownFile).catch((error: unknown) => {
				if (!(error instanceof CourseSourceError)) throw error;
				problems.push(yaml.problem([...at, key, language], `file not found: ${markdownFile}`));
				return undefined;
			});
			if (!rendered) return undefined;
			problems.push(...rendered.problems);
			for (const media of rendered.lesson.media) {
				await bundle.addMedia(media.source, media.bundlePath, () => ({ file: markdownFile, message: 'image name clash' }));
			}
			const htmlPath = `lessons/${fileName}.html`;
			bundle.add(htmlPath, utf8(rendered.lesson.html));
			return { html: htmlPath, media: [...new Set(rendered.lesson.media.map((m) => m.bundlePath))] };
		};

		switch (lesson.kind) {
			case 'text':
				return renderInto(pathIn(lesson.body, 'body'), 'body');
			case 'audio': {
				const audio = pathIn(lesson.audio, 'audio');
				const transcript = await renderInto(pathIn(lesson.transcript, 'transcript'), 'transcript');
				if (!audio || !transcript) return undefined;
				const audioPath = mediaBundlePath(audio);
				if (!AUDIO_TYPES.includes(extname(audio).toLowerCase()) || !audioPath) {
					problems.push(yaml.problem([...at, 'audio', language], `audio must be ${AUDIO_TYPES.join(', ')} with a lower-case file name`));
					return undefined;
				}
				try {
					await bundle.addMedia(audio, audioPath, () => yaml.problem([...at, 'audio', language], 'audio name clash'));
				} catch (error) {
					if (!(error instanceof CourseSourceError)) throw error;
					problems.push(yaml.problem([...at, 'audio', language], `file not found: ${audio}`));
					return undefined;
				}
				return { audio: audioPath, transcript: transcript.html, media: transcript.media };
			}
			case 'quiz': {
				const source = await quizSource(lesson.quiz, at);
				if (!source) return undefined;
				const pick = pickFrom(source.yaml, language);
				const questions = source.quiz.questions.map((q, i) =>
					localizeQuestion(q, ['questions', i], pick, (accepted, path) => {
						const list = accepted[language];
						if (!list) problems.push(source.yaml.problem(path, `missing language "${language}"`));
						return list ?? [];
					})
				);
				const built = quizSchema.safeParse({ lessonId: lesson.id, language, passMark: lesson.passMark ?? course.passMark, questions });
				if (!built.success) {
					problems.push(...built.error.issues.map((issue) => source.yaml.problem(issue.path.slice(1) as PathPart[], issue.message)));
					return undefined;
				}
				const quizPath = `quizzes/${fileName}.json`;
				bundle.add(quizPath, utf8(JSON.stringify(built.data)));
				return { quiz: quizPath };
			}
		}
	};

	const lessonIds = new Set<string>();
	const modules: Manifest['modules'] = [];
	for (const [m, module] of course.modules.entries()) {
		const lessons: Lesson[] = [];
		for (const [l, lesson] of module.lessons.entries()) {
			const at = ['modules', m, 'lessons', l];
			if (lessonIds.has(lesson.id)) problems.push(yaml.problem([...at, 'id'], `lesson id "${lesson.id}" is used twice`));
			lessonIds.add(lesson.id);
			const content: Record<string, unknown> = {};
			for (const language of course.languages) content[language] = await lessonContent(lesson, at, language);
			const { id, kind, minutes } = lesson;
			const passMark = lesson.kind === 'quiz' && lesson.passMark !== undefined ? { passMark: lesson.passMark } : {};
			lessons.push({ id, kind, minutes, ...passMark, title: localized(lesson.title, [...at, 'title']), content } as Lesson);
		}
		modules.push({ id: module.id, title: localized(module.title, ['modules', m, 'title']), lessons });
	}
	const title = localized(course.title, ['title']);
	const description = localized(course.description, ['description']);
	if (problems.length > 0) throw new CourseSourceError(problems);

	const files = await Promise.all(
		[...bundle.files.entries()]
			.sort(([a], [b]) => a.localeCompare(b))
			.map(async ([path, bytes]) => ({ path, size: bytes.length, sha256: await sha256Hex(bytes) }))
	);
	const createdAt = options.createdAt ?? new Date();
	const manifest = parseManifest({
		format: BUNDLE_FORMAT_VERSION,
		id: course.id,
		version: course.version,
		publisher: course.publisher,
		licence: course.licence,
		languages: course.languages,
		title,
		description,
		passMark: course.passMark,
		modules,
		files,
		createdAt: createdAt.toISOString()
	});
	const manifestBytes = utf8(JSON.stringify(manifest));
	const signature = await signManifest(manifestBytes, options.privateKey);

	const entries: Zippable = {
		[MANIFEST_FILE]: [manifestBytes, { level: 9 }],
		[SIGNATURE_FILE]: [utf8(signature), { level: 0 }]
	};
	for (const [path, bytes] of bundle.files) entries[path] = [bytes, { level: STORED.test(path) ? 0 : 9 }];
	// A fixed time inside the zip: the same source and key always give the same bundle bytes.
	const zip = zipSync(entries, { mtime: zipTime(createdAt.toISOString()) });
	return { zip, manifest, manifestBytes, signature, files: bundle.files };
}
