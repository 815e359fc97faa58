/**
 * What every venue's archive format provides. One module per layout in `loaders/formats/`,
 * registered in `loaders/formats/index.ts`; everything downstream sees only `TradeBatch`es.
 */
import type {Venue} from "../config.ts";
import type {Quarantine, TradeBatch} from "../trades.ts";

export interface VenueFormat {
  venue: Venue;
  /** Archive file names (relative to the venue's cache folder) whose union covers UTC day `day` (YYYY-MM-DD). */
  filesForDay(day: string, symbol: string): string[];
  /**
   * Streams the trades of one archive file as normalised, venue-tagged batches, in file order.
   * Rows that cannot be used are counted into `quarantine` with file, line and reason; a file
   * that cannot be read at all (corrupt zip, truncated gzip, wrong header) throws `InputError`.
   */
  read(path: string, quarantine: Quarantine): AsyncGenerator<TradeBatch>;
  /**
   * The decompressed bytes of one archive file, as the reader sees them (a zip's CSV entry,
   * CRC-32 checked; a gzip's content); `ReadOptions.chunks` hands them to the reader.
   */
  content(path: string): AsyncGenerator<Uint8Array>;
  /**
   * Writes time-sorted trades into archive files under `dir`, in the venue's exact layout,
   * split by the venue's own file-day boundaries (OKX cuts days at UTC+8 midnight). Files
   * are written atomically. Returns the file names written.
   */
  write(trades: AsyncIterable<TradeBatch> | Iterable<TradeBatch>, dir: string, symbol: string): Promise<string[]>;
}
