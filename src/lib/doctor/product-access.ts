/**
 * Check 3: the credential's account may use Confluence. A valid credential of an account without Confluence product
 * access gets 403 "Current user not permitted to use Confluence" on every call (http/refusals.ts: NO_CONFLUENCE_ACCESS).
 */
import type {CheckResult, DoctorContext} from './check.js'

const TITLE = 'Confluence product access of the account'

export async function checkProductAccess(context: DoctorContext): Promise<CheckResult[]> {
  if (context.unusable) return []
  if (context.noConfluenceAccess)
    return [
      {
        fix:
          context.noConfluenceAccessFix ??
          'Give the account Confluence product access in admin.atlassian.com (Directory > Users > the user > Product access).',
        id: 'product-access',
        reason:
          'Atlassian answered 403 "Current user not permitted to use Confluence": the credential is good, its account may not use Confluence.',
        status: 'fail',
        title: TITLE,
      },
    ]
  if (context.scopesLimited)
    return [
      {
        fix: "See the account's product access in admin.atlassian.com (Directory > Users > the user > Product access), or give the credential read:confluence-user so that doctor can tell.",
        id: 'product-access',
        reason: 'Not known: the gateway checks the scopes first, and this credential may not read the current user.',
        status: 'warn',
        title: TITLE,
      },
    ]
  return [{id: 'product-access', reason: 'Confluence answers the account.', status: 'ok', title: TITLE}]
}
