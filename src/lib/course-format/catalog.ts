/** One course as the server's catalog lists it (`GET /api/catalog`): shared by server and app. */
export interface CatalogEntry {
	id: string;
	version: number;
	publisher: string;
	licence: string;
	languages: string[];
	title: Record<string, string>;
	description: Record<string, string>;
	lessons: number;
	minutes: number;
	/** Bytes to download per language, so a learner on prepaid data sees the cost first. */
	downloadBytes: Record<string, number>;
}
