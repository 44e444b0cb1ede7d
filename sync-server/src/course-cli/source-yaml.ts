/** Reads a YAML file of a course's source, keeping positions so problems can name their line. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { CourseSourceError, type SourceProblem } from './source-problems.js';

export type PathPart = string | number;

export interface SourceYaml {
	file: string;
	value: unknown;
	/** The line of the value at `path`, or of its nearest parent that exists. */
	lineOf(path: readonly PathPart[]): number | undefined;
	problem(path: readonly PathPart[], message: string): SourceProblem;
}

export async function readSourceFile(courseDir: string, file: string): Promise<Buffer> {
	try {
		return await readFile(join(courseDir, file));
	} catch {
		throw new CourseSourceError([{ file, message: 'file not found' }]);
	}
}

export async function readSourceYaml(courseDir: string, file: string): Promise<SourceYaml> {
	const text = (await readSourceFile(courseDir, file)).toString('utf8');
	const lineCounter = new LineCounter();
	const doc: Document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
	if (doc.errors.length > 0) {
		throw new CourseSourceError(
			doc.errors.map((error) => ({ file, line: lineCounter.linePos(error.pos[0]).line, message: `broken YAML: ${error.message.split('\n')[0]}` }))
		);
	}
	const lineOf = (path: readonly PathPart[]) => {
		for (let depth = path.length; depth >= 0; depth--) {
			const node = doc.getIn(path.slice(0, depth), true);
			if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
		}
		return undefined;
	};
	return {
		file,
		value: doc.toJS(),
		lineOf,
		problem: (path, message) => ({ file, line: lineOf(path), message: path.length ? `${path.join('.')}: ${message}` : message })
	};
}
