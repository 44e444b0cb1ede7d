/**
 * What this phone remembers about one learner's syncs: the last time one went through, the local
 * sequence up to which changes have been pushed (to count the changes still waiting), and the
 * bytes each month's syncs cost, because learners pay for every kilobyte of prepaid data.
 *
 * Kept in the learner's own database as a `_local/` document: it never replicates, and it goes
 * when the learner is removed from the phone.
 */
import type PouchDB from 'pouchdb-core';
import type { PouchError } from 'pouchdb-core';

export const JOURNAL_ID = '_local/sikho-sync';
/** Months of data use kept; older ones are dropped. */
const MONTHS_KEPT = 12;

export interface MonthUse {
	sent: number;
	received: number;
	syncs: number;
}

export interface LastSync {
	at: string;
	ok: boolean;
	sent: number;
	received: number;
}

export interface SyncJournalEntry {
	/** The last time a sync went through both ways. */
	lastSyncAt?: string;
	/** Local changes after this sequence have not been pushed yet. */
	pushedSeq?: number | string;
	/** Bytes by month of the phone's calendar, `YYYY-MM`. */
	months: Record<string, MonthUse>;
	last?: LastSync;
}

type JournalDoc = SyncJournalEntry & { _id: string; _rev?: string };
export type JournalDb = Pick<PouchDB<object>, 'get' | 'put'>;

/** `YYYY-MM` of the phone's own calendar: data bundles are bought by the local month. */
export function monthOf(time: Date): string {
	return `${time.getFullYear()}-${String(time.getMonth() + 1).padStart(2, '0')}`;
}

export class SyncJournal {
	constructor(
		private readonly db: JournalDb,
		private readonly now: () => number = Date.now
	) {}

	async read(): Promise<SyncJournalEntry> {
		const { _id: _, _rev: __, ...entry } = await this.doc();
		return entry;
	}

	/** Bytes used by syncs in the phone's current month. */
	async thisMonth(): Promise<MonthUse> {
		return (await this.read()).months[monthOf(new Date(this.now()))] ?? { sent: 0, received: 0, syncs: 0 };
	}

	/** Records one sync's bytes (also a failed one: its bytes were paid for too), and what went through. */
	async record(sync: { ok: boolean; sent: number; received: number; pushedSeq?: number | string }): Promise<SyncJournalEntry> {
		return this.change((entry) => {
			const at = new Date(this.now());
			const month = monthOf(at);
			const use = entry.months[month] ?? { sent: 0, received: 0, syncs: 0 };
			entry.months[month] = { sent: use.sent + sync.sent, received: use.received + sync.received, syncs: use.syncs + 1 };
			for (const old of Object.keys(entry.months).sort().slice(0, -MONTHS_KEPT)) delete entry.months[old];
			entry.last = { at: at.toISOString(), ok: sync.ok, sent: sync.sent, received: sync.received };
			if (sync.ok) entry.lastSyncAt = at.toISOString();
			if (sync.pushedSeq !== undefined) entry.pushedSeq = sync.pushedSeq;
		});
	}

	async setPushedSeq(seq: number | string): Promise<void> {
		await this.change((entry) => {
			entry.pushedSeq = seq;
		});
	}

	private async doc(): Promise<JournalDoc> {
		try {
			return (await this.db.get(JOURNAL_ID)) as object as JournalDoc;
		} catch (error) {
			if ((error as PouchError).status === 404) return { _id: JOURNAL_ID, months: {} };
			throw error;
		}
	}

	private async change(edit: (entry: JournalDoc) => void): Promise<SyncJournalEntry> {
		// Only the engine of this learner writes here, one sync at a time; a 409 can only come from
		// a second tab, whose own record is then kept and ours retried on top of it.
		for (let attempt = 1; ; attempt++) {
			const doc = await this.doc();
			edit(doc);
			try {
				await this.db.put(doc);
				const { _id: _, _rev: __, ...entry } = doc;
				return entry;
			} catch (error) {
				if ((error as PouchError).status !== 409 || attempt >= 3) throw error;
			}
		}
	}
}
