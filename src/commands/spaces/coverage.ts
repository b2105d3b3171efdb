import type {Interfaces} from '@oclif/core'
import * as Flags from '@oclif/core/flags'

import {AccessCommand, accessFlags, adminKeyFlag, userSourceFlags} from '../../lib/access-command.js'
import type {ViewPrincipal} from '../../lib/access/grant-view.js'
import {resolveOneUser} from '../../lib/access/resolve-users.js'
import {type SinceLast, compareCoverage} from '../../lib/coverage/compare.js'
import {fixCoverage, spacesToFix, withFix} from '../../lib/coverage/fix.js'
import {coverageHtml} from '../../lib/coverage/html.js'
import {type Coverage, readCoverage} from '../../lib/coverage/read.js'
import {coverageCsv, coverageSummary, coverageTable, sinceLastLines} from '../../lib/coverage/render.js'
import {loadSavedCoverage, saveCoverage, savedCoveragePath} from '../../lib/coverage/saved.js'
import {SPACE_TYPES} from '../../lib/domain.js'
import type {RunReport} from '../../lib/engine/operation.js'
import {reportSummary, reportTable} from '../../lib/engine/report.js'
import {badInput, CfadminError, ExitCode} from '../../lib/errors.js'
import {openSideFile} from '../../lib/files/side-file.js'
import type {TextSink} from '../../lib/files/text-sink.js'
import {formatCount} from '../../lib/output.js'

export interface CoverageResult extends Coverage {
  /** With --since-last: what changed since the last run, or null when there was none to compare with. */
  sinceLast?: SinceLast | null
  /** With --fix: the grant run's report (a dry run's with --dry-run). */
  fix?: RunReport
  /** Where this run's coverage was saved for the next --since-last (absent with --dry-run). */
  saved?: string
}

export default class SpacesCoverage extends AccessCommand<CoverageResult> {
  /** The topic's singular form, from before topics were made plural: what users typed keeps working. */
  static override hiddenAliases = ['space:coverage']
  static override summary =
    'Which spaces can a user or group (a crawler) view, through what, and what changed since the last run.'

  static override description = `Lists every space the login can see (by default global, collaboration and knowledge_base; --type and \
--include-archived take others) with whether the principal can view it and through what: its own role, an individual permission, \
one of its groups, or default access (a group that gives Confluence access, which every licensed user is in). Spaces whose \
permissions the login may not read are counted apart as ones it cannot administer (access unknown; --admin-key on Premium and \
Enterprise); spaces never shared with the login are not listed at all. Every run but a --dry-run saves what it found in the config \
folder, per site and principal; --since-last compares with the run before and lists the spaces that appeared, disappeared, lost or \
gained access (the first run has nothing to compare with). --fix gives View on the spaces the principal cannot view through the same \
path as spaces grant-view (the role mode's route, only what is missing); on a terminal it shows the plan and asks first unless --yes, \
without one --yes (or --dry-run) is required. The saved result is the one after the fix. Output: a table, --csv, --json, and --html \
FILE (one page with no network assets: the counts per type as bars, the table filterable). Exits 3 when some space stays without \
access or unreadable, or a grant failed.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --user crawler@acme.example',
    {
      description: 'What changed since the last run, as a page to send on',
      command: '<%= config.bin %> <%= command.id %> --group crawlers --since-last --html coverage.html',
    },
    {
      description: 'Give View where it is missing, first as a plan',
      command: '<%= config.bin %> <%= command.id %> --group crawlers --fix --dry-run',
    },
    {
      description: 'On a schedule (cron, CI): compare, give what is missing, no question',
      command: '<%= config.bin %> <%= command.id %> --group crawlers --since-last --fix --yes',
    },
    {
      description: 'Personal and archived spaces too, as CSV',
      command:
        '<%= config.bin %> <%= command.id %> --user crawler@acme.example --type global --type collaboration --type knowledge_base --type personal --include-archived --csv',
    },
  ]

  static override flags = {
    user: Flags.string({char: 'u', description: 'an email or account ID', exclusive: ['group']}),
    group: Flags.string({char: 'g', description: 'a group name'}),
    type: Flags.option({
      description: 'the spaces of this type (repeatable); default global, collaboration and knowledge_base',
      multiple: true,
      options: SPACE_TYPES,
    })(),
    'include-archived': Flags.boolean({description: 'archived spaces too (left out by default)'}),
    'since-last': Flags.boolean({
      description:
        'compare with the last run for this principal on this site: spaces that appeared, disappeared, lost or gained access',
    }),
    fix: Flags.boolean({
      description:
        'give View on the spaces the principal cannot view (as spaces grant-view does); asks first unless --yes',
    }),
    yes: Flags.boolean({char: 'y', description: 'with --fix, give View without asking'}),
    role: Flags.string({
      dependsOn: ['fix'],
      description: 'with --fix on a site with space roles, the role to give (default Viewer)',
    }),
    html: Flags.string({description: 'also write the coverage as one self-contained HTML page to this file'}),
    'admin-key': adminKeyFlag,
    'dry-run': Flags.boolean({
      description: 'with --fix, show what it would give and give nothing; in any case save nothing for --since-last',
    }),
    csv: Flags.boolean({description: 'print the spaces as CSV instead of a table'}),
    concurrency: accessFlags.concurrency,
    profile: accessFlags.profile,
    directory: accessFlags.directory,
    map: userSourceFlags.map,
  }

  public async run(): Promise<CoverageResult> {
    const {flags} = await this.parse(SpacesCoverage)
    if (!flags.user && !flags.group)
      throw badInput('PRINCIPAL_MISSING', 'Coverage of whom?', 'Give --user EMAIL|ACCOUNT_ID or --group NAME.')
    const {io} = this.deps()
    const ask = flags.fix && !flags.yes && !flags['dry-run']
    if (ask && !io.stdinIsTTY)
      throw badInput(
        'CONFIRMATION_NEEDED',
        'spaces coverage --fix asks before it gives View, and there is no terminal to ask on.',
        'Add --yes to give View where it is missing, or --dry-run to see what it would give.',
      )
    const configDir = this.config.configDir
    let html: TextSink | undefined
    if (flags.html)
      html = await openSideFile('--html', flags.html, [
        ...(flags.map && flags.map !== '-' ? [{label: 'the --map input', path: flags.map}] : []),
        {folder: true, label: "cfadmin's config folder", path: configDir},
      ])
    try {
      const result = await this.coverage(flags, ask, html)
      await html?.commit()
      html = undefined
      if (flags.html) this.status(`Wrote the coverage page to ${flags.html}.`)
      return result
    } finally {
      await html?.abort()
    }
  }

  private async coverage(flags: CoverageFlags, ask: boolean, html: TextSink | undefined): Promise<CoverageResult> {
    const context = await this.accessContext({...flags, 'dry-run': Boolean(flags['dry-run'])})
    let principal: Parameters<typeof readCoverage>[0]
    let grantee: ViewPrincipal
    if (flags.user) {
      const user = await resolveOneUser(flags.user, context, flags.map)
      principal = {accountId: user.accountId, label: flags.user, type: 'user'}
      grantee = {kind: 'user', user}
    } else {
      principal = {name: flags.group!, type: 'group'}
      grantee = {kind: 'group', name: flags.group!}
    }

    let total = 0
    const progress = this.progressLine(
      (read) => `spaces coverage: ${formatCount(read)}/${formatCount(total)} spaces read`,
    )
    let coverage = await readCoverage(
      principal,
      {includeArchived: flags['include-archived'], types: flags.type},
      context,
      (read, of) => {
        total = of
        progress.update(read)
      },
    )
    progress.done()
    const path = savedCoveragePath(this.config.configDir, coverage.cloudId, coverage.principal)
    let sinceLast: SinceLast | null | undefined
    if (flags['since-last']) {
      const last = await loadSavedCoverage(path)
      sinceLast = last ? compareCoverage(last, coverage) : null
    }

    let fix: RunReport | undefined
    if (flags.fix && spacesToFix(coverage).length > 0) {
      fix = await this.fix(coverage, grantee, context, flags, ask)
      coverage = withFix(coverage, fix)
    } else if (flags.fix) {
      this.status('Nothing to fix: the principal can view every space whose access the login could read.')
    }

    if (!flags['dry-run']) await saveCoverage(path, coverage)
    const result: CoverageResult = {
      ...coverage,
      // --json keeps the grant report's documented shape, as grant-view prints it.
      ...(fix ? {fix: {...fix, items: fix.items.map(({kind: _kind, ...item}) => item)}} : {}),
      ...(flags['dry-run'] ? {} : {saved: path}),
      ...(sinceLast === undefined ? {} : {sinceLast}),
    }
    await html?.write(coverageHtml(coverage, sinceLast ?? undefined, flags['since-last']))
    this.render(result, flags)
    if (
      coverage.counts.notViewable > 0 ||
      coverage.counts.notAdministered > 0 ||
      (fix && (fix.counts.failed > 0 || fix.counts.blocked > 0))
    )
      process.exitCode = ExitCode.partial
    return result
  }

  /** The grant: on a terminal without --yes, the plan first and a question; else at once (or a dry run). */
  private async fix(
    coverage: Coverage,
    grantee: ViewPrincipal,
    context: Parameters<typeof fixCoverage>[2],
    flags: {'dry-run'?: boolean; concurrency: number; csv?: boolean},
    ask: boolean,
  ): Promise<RunReport> {
    const controls = (dryRun: boolean) => this.runControls({...flags, 'dry-run': dryRun})
    if (!ask) return fixCoverage(coverage, grantee, context, controls(Boolean(flags['dry-run'])))
    const plan = await fixCoverage(coverage, grantee, context, controls(true))
    // Beside a CSV on stdout, the plan goes to stderr.
    if (flags.csv) this.status(reportTable(plan))
    else this.log(reportTable(plan))
    this.status(reportSummary(plan))
    if (plan.counts.planned === 0) return plan
    const who = grantee.kind === 'group' ? `group ${grantee.name}` : grantee.user.value
    if (!(await this.deps().io.confirm(`Give View on ${plan.counts.planned} space(s) to ${who}?`)))
      throw new CfadminError('Cancelled: nothing was changed.', {code: 'CANCELLED', exit: ExitCode.badInput})
    return fixCoverage(coverage, grantee, context, controls(false))
  }

  private render(result: CoverageResult, flags: {csv?: boolean}): void {
    if (this.jsonEnabled()) return
    this.log(flags.csv ? coverageCsv(result).trimEnd() : coverageTable(result))
    const since = result.sinceLast === undefined ? [] : sinceLastLines(result.sinceLast ?? undefined)
    // The changes are the news of a scheduled run: on stdout with the table, on stderr beside a CSV.
    for (const line of since)
      if (flags.csv) this.status(line)
      else this.log(line)
    if (result.fix) this.status(`--fix: ${reportSummary(result.fix)}`)
    for (const line of coverageSummary(result)) this.status(line)
    for (const note of result.notes) this.status(`Note: ${note}`)
  }
}

type CoverageFlags = Interfaces.InferredFlags<typeof SpacesCoverage.flags>
