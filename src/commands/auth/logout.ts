import * as Flags from '@oclif/core/flags'

import {BaseCommand} from '../../lib/command.js'
import {logout, type LogoutResult} from '../../lib/auth/logout.js'

export interface AuthLogoutResult {
  profiles: LogoutResult[]
}

export default class AuthLogout extends BaseCommand<AuthLogoutResult> {
  static override summary = 'Remove the stored secrets of a profile (or of all); the site stays.'

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --profile crawler',
    '<%= config.bin %> <%= command.id %> --all',
  ]

  static override flags = {
    profile: Flags.string({
      description: 'the profile to log out of',
      env: 'CFADMIN_PROFILE',
      exclusive: ['all'],
      helpGroup: 'GLOBAL',
    }),
    all: Flags.boolean({description: 'log out of every profile'}),
  }

  public async run(): Promise<AuthLogoutResult> {
    const {flags} = await this.parse(AuthLogout)
    const {env, store} = this.deps()
    const profiles = await logout({all: flags.all, profile: flags.profile, store})
    for (const p of profiles) {
      this.log(
        p.removed.length > 0
          ? `Profile "${p.profile}": removed ${p.removed.join('; ')}.`
          : `Profile "${p.profile}": no stored secret to remove.`,
      )
    }

    const fromEnv = ['CFADMIN_API_TOKEN', 'CFADMIN_ADMIN_KEY'].filter((name) => env[name])
    if (fromEnv.length > 0)
      this.warning(`${fromEnv.join(' and ')} ${fromEnv.length > 1 ? 'are' : 'is'} still set in the environment.`)
    return {profiles}
  }
}
