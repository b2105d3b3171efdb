// Removes build output before a build, so a deleted command cannot linger in dist/ or the manifest.
import {rmSync} from 'node:fs'

for (const target of process.argv.slice(2)) rmSync(target, {force: true, recursive: true})
