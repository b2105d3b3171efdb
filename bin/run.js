#!/usr/bin/env node
// @oclif/core/execute, not @oclif/core: the index also loads the parser, the flags and a semver check
// (about 60 more modules) that --version and --help do not need; a command that runs imports them.
import {execute} from '@oclif/core/execute'

await execute({dir: import.meta.url})
