import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AccessCommand, accessFlags, adminKeyFlag, concurrencyFlag} from '../lib/access-command.js'
import {profileFlag} from '../lib/command.js'
import {propagationWaitMs} from '../lib/access/propagation.js'
import {badInput, CfadminError, ExitCode} from '../lib/errors.js'
import {setupResult, setupSummary, setupTables, type SetupResult, shownPlan} from '../lib/setup/setup-report.js'
import {loadPlan} from '../lib/setup/plan/plan.js'
import {startSetup} from '../lib/setup/setup.js'

export default class Setup extends AccessCommand<SetupResult> {
  static override summary =
    "Make a site match a connector's access plan: users, roles, groups, members, space View and the email map."
  static override description = `The plan (YAML or JSON; schema in schema/setup-plan.schema.json) says which users to invite with which Confluence role, \
which groups they join (created when asked), which spaces get View for which users and groups, and where to write the account-ID-to-email map. \
It is checked first (every problem with its file:line:col, exit 2, nothing sent), then every name is looked up once.
--dry-run prints what would change and what is already so. Without it the changes are applied in dependency order (invitations before roles, \
groups before their members and grants), with one progress view, a journal that lets an interrupted run resume without repeating a change, \
and one report; a failed item blocks only what depends on it (exit 3). A group or user the Admin API just made can be unknown to Confluence \
for a while: its View grants are tried again with backoff, saying what they wait for, for up to --wait-for-propagation (default 5m), \
then fail with "run again later"; the other items go on meanwhile. On a terminal cfadmin asks before changing anything unless --yes; \
without a terminal --yes is required.
--verify changes nothing and exits 3 listing what differs from the plan: for CI or a cron job.
\`include: all\` takes the global, collaboration and knowledge_base spaces the login can see (\`types\` names others, \`archived: true\` adds \
archived ones); the summary says what was taken and left out. A space the login cannot administer fails its own items with the fix; on \
Premium and Enterprise --admin-key switches Confluence's admin key on for the run and off at the end.`
  static override examples = [
    {
      description: 'What the crawler plan would change',
      command: '<%= config.bin %> <%= command.id %> examples/crawler.yaml --dry-run',
    },
    {
      description: 'Apply it without the question (CI)',
      command: '<%= config.bin %> <%= command.id %> examples/crawler.yaml --yes',
    },
    {
      description: 'Wait up to 15 minutes for new groups and invited users to reach Confluence',
      command: '<%= config.bin %> <%= command.id %> examples/crawler.yaml --yes --wait-for-propagation 15m',
    },
    {
      description: 'Does the site still match? (exit 3 and the drift when not)',
      command: '<%= config.bin %> <%= command.id %> examples/snow-atlas.yaml --verify --json',
    },
  ]
  static override args = {plan: Args.string({description: 'the plan file (.yaml, .yml or .json)', required: true})}
  static override flags = {
    'dry-run': Flags.boolean({
      description: 'check only: print what would change and what is already so; change nothing',
      exclusive: ['verify'],
    }),
    verify: Flags.boolean({
      description: 'check that the site matches the plan; change nothing; exit 3 listing the drift',
    }),
    yes: Flags.boolean({char: 'y', description: 'apply without asking for confirmation'}),
    'wait-for-propagation': Flags.string({
      default: '5m',
      description:
        'how long a grant on a group or user the plan creates or invites waits for Atlassian to make it known to Confluence (e.g. 30s, 5m, 1h)',
    }),
    concurrency: concurrencyFlag,
    'admin-key': adminKeyFlag,
    profile: profileFlag,
    directory: accessFlags.directory,
  }

  public async run(): Promise<SetupResult> {
    const {args, flags} = await this.parse(Setup)
    const mode = flags.verify ? 'verify' : flags['dry-run'] ? 'dry-run' : 'apply'
    const waitLimitMs = propagationWaitMs(flags['wait-for-propagation'])
    const loaded = await loadPlan(args.plan)
    const ask = mode === 'apply' && !flags.yes
    const {io} = this.deps()
    if (ask && !io.stdinIsTTY) {
      throw badInput(
        'CONFIRMATION_NEEDED',
        'setup asks before it changes anything, and there is no terminal to ask on.',
        `Add --yes to apply ${args.plan}, or --dry-run to see what it would change.`,
      )
    }

    const context = await this.accessContext({...flags, 'dry-run': mode !== 'apply'})
    const setup = await startSetup(
      loaded,
      context,
      {...this.runControls({...flags, 'dry-run': mode !== 'apply'}), waitLimitMs},
      args.plan,
    )
    for (const note of setup.notes) this.status(`Note: ${note}`)
    try {
      let report
      if (ask) {
        // Checked once: the plan shown is the plan applied.
        const plan = await setup.plan()
        const shown = shownPlan(plan, args.plan)
        this.log(setupTables(shown.items))
        for (const line of setup.spaceSummary) this.status(line)
        this.status(setupSummary(shown))
        if (shown.counts.planned === 0) {
          this.status('Nothing to change.')
          return this.finish(shown, setup.notes)
        }

        if (!(await io.confirm(`Apply ${shown.counts.planned} change(s) to ${context.session.site?.url}?`))) {
          throw new CfadminError('Cancelled: nothing was changed.', {code: 'CANCELLED', exit: ExitCode.badInput})
        }

        report = await setup.apply(plan)
      } else {
        report = await setup.run()
      }

      const result = setupResult(report, args.plan, mode)
      const tables = setupTables(result.mode === 'verify' ? result.drift! : result.items)
      if (tables) this.log(tables)
      // Shown before the question already.
      if (!ask) for (const line of setup.spaceSummary) this.status(line)
      this.status(setupSummary(result))
      return this.finish(result, setup.notes)
    } finally {
      await setup.end()
    }
  }

  private finish(result: SetupResult, notes: string[] = []): SetupResult {
    const unsettled =
      result.mode === 'verify' ? result.drift!.length > 0 : result.counts.failed + result.counts.blocked > 0
    if (unsettled) process.exitCode = ExitCode.partial
    return notes.length > 0 ? {...result, notes} : result
  }
}
