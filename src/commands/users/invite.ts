import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'

import {AccessCommand, accessFlags} from '../../lib/access-command.js'
import type {RunReport} from '../../lib/engine/operation.js'
import {readUserInputs} from '../../lib/access/principals.js'
import {invite, inviteRoute, requireEmails} from '../../lib/access/invite.js'

export default class UsersInvite extends AccessCommand {
  static override summary = "Invite users by email with Confluence access on the profile's site."

  static override description = `With an Admin API key in the profile, invitations go through the Admin API with the role (--role) and groups (--group). \
Without one they go through Confluence's invite-by-email, which Atlassian processes asynchronously and which cannot set a role. \
Roles an invitation cannot carry (user-access-admin) are given right after it (invited as user, then the role assigned). \
Invitations go out 25 emails a request. Atlassian emails the invitees only when --message gives a text. \
Users who already have access are reported as "already". Per-email results from Atlassian (INVITED, or ERROR with its reason) reach the report. \
A service account (an email at serviceaccount.atlassian.com) is never invited: it must already exist (created in admin.atlassian.com > \
Directory > Service accounts; looked up with the Admin API key) and gets the role directly; a missing one stops the run before anything changes. \
Re-running is safe: an interrupted run resumes without inviting anyone twice.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> crawler@acme.example',
    {
      description: 'Several users from a file, without the welcome email, as admins',
      command: '<%= config.bin %> <%= command.id %> --file new-admins.csv --role admin --no-notify',
    },
    {
      description: 'With the invitation email, which Atlassian sends only with a text',
      command: '<%= config.bin %> <%= command.id %> crawler@acme.example --message "Access for the search crawler"',
    },
    {
      description: 'See what would happen first',
      command: '<%= config.bin %> <%= command.id %> crawler@acme.example --dry-run',
    },
  ]

  static override strict = false
  static override args = {users: Args.string({description: 'emails to invite (- reads them from stdin)'})}

  static override flags = {
    ...accessFlags,
    file: Flags.string({
      char: 'f',
      description: 'emails from a CSV with an email column, or one per line (- for stdin)',
    }),
    role: Flags.string({
      default: 'user',
      description: 'the Confluence role (Admin API route only): user, admin, guest, ...',
    }),
    group: Flags.string({
      description: 'a group ID to add the invitees to (Admin API route; repeatable)',
      multiple: true,
    }),
    notify: Flags.boolean({allowNo: true, default: true, description: "send Atlassian's invitation email"}),
    message: Flags.string({
      description:
        "the text of Atlassian's invitation email (Admin API route): Atlassian sends the email only with a text, so without --message no email goes out",
    }),
  }

  public async run(): Promise<RunReport> {
    const {argv, flags} = await this.parse(UsersInvite)
    const users = await readUserInputs(argv as string[], flags.file)
    requireEmails(users)
    const context = await this.accessContext(flags)
    if (!context.admin) {
      this.warning(
        `no Admin API key in the profile: inviting through ${inviteRoute(context)}, which Atlassian processes asynchronously and which cannot set a role${flags.role === 'user' ? '' : ` (--role ${flags.role} is ignored)`}.`,
      )
    }

    const report = await invite(
      {groupIds: flags.group, message: flags.message, notify: flags.notify, role: flags.role, users},
      context,
      this.runControls(flags),
    )
    return this.finishRun(report, flags, ['email'])
  }
}
