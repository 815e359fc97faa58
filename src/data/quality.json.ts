/** `data/quality.json`: the data-quality table, one row per (venue, day). See docs/data.md. */
import {writeSiteFile} from "../../loaders/derived.ts";

await writeSiteFile("quality.json");
