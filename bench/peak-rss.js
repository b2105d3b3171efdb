// Preloaded into the process under test (node --import): prints its peak resident set size on exit,
// so the benchmark measures cfadmin itself, worker threads included, without a wrapper process.
process.on('exit', () => {
  process.stderr.write(`\nBENCH_PEAK_RSS_KB=${process.resourceUsage().maxRSS}\n`)
})
