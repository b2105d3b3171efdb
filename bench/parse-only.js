// The floor for cfadmin's parser: csv-parse reading the same file with the same options, doing nothing
// with the records but count them. Prints the count.
import {createReadStream} from 'node:fs'

import {parse} from 'csv-parse'

let records = 0
const parser = createReadStream(process.argv[2], {highWaterMark: 256 * 1024}).pipe(
  parse({bom: true, relax_column_count: true, skip_empty_lines: true}),
)
for await (const _record of parser) records++
console.log(records)
