import {expect} from 'chai'

import {atlassianMessageFrom, bodyText, oauthErrorFrom} from '../../../src/lib/http/error-body.js'

const JAVA_NOT_FOUND = 'com.atlassian.confluence.api.service.exceptions.NotFoundException: No space with key : ENG'
const HTML_PAGE =
  '<html><head><title>Service Unavailable</title><style>p {}</style></head><body><h1>Down</h1> for <b>maintenance</b></body></html>'

/** Each error body Atlassian (or something in front of it) sends, and the one line a user reads. */
const BODIES: ReadonlyArray<{shape: string; body: unknown; message: string | undefined}> = [
  {shape: 'Confluence v1 {statusCode, message}', body: {statusCode: 400, message: 'Bad'}, message: 'Bad'},
  {
    shape: 'Confluence v1 message naming a Java exception',
    body: {statusCode: 404, message: JAVA_NOT_FOUND},
    message: 'No space with key : ENG',
  },
  {
    shape: 'Confluence v1 data.errors[].message.translation under an empty message',
    body: {
      statusCode: 400,
      message: '',
      data: {errors: [{message: {key: 'k', translation: 'Permission already exists'}}]},
    },
    message: 'Permission already exists',
  },
  {
    shape: 'Confluence v1 data.errors[].message as text',
    body: {data: {errors: [{message: 'Space key taken'}]}},
    message: 'Space key taken',
  },
  {
    shape: 'Confluence v2 / Admin {errors: [{title, detail}]}',
    body: {errors: [{status: 403, code: 'FORBIDDEN', title: 'Forbidden', detail: 'Missing scope'}]},
    message: 'Forbidden: Missing scope',
  },
  {
    shape: 'errors[] as JSON text, a title equal to its detail and a repeated entry said once',
    body: JSON.stringify({errors: [{title: 'A', detail: 'A'}, {title: 'B'}, {detail: 'B'}]}),
    message: 'A; B',
  },
  {shape: 'errors[] of plain strings', body: {errors: ['first', 'second']}, message: 'first; second'},
  {shape: 'errors[] entry with only a code', body: {errors: [{code: 'ADMIN-404-1'}]}, message: 'ADMIN-404-1'},
  {
    shape: 'errors[] with nothing readable, then a message',
    body: {errors: [{}], message: 'fallback'},
    message: 'fallback',
  },
  {
    shape: 'Admin API and gateway {code, message}',
    body: {code: 'ADMIN-400-24', message: 'Invalid body'},
    message: 'Invalid body',
  },
  {
    shape: 'OAuth {error, error_description}',
    body: {error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.'},
    message: 'Unknown or invalid refresh token.',
  },
  {shape: 'OAuth {error} alone', body: {error: 'access_denied'}, message: 'access_denied'},
  {shape: 'Jira-style {errorMessages}', body: {errorMessages: ['one', 'two']}, message: 'one; two'},
  {shape: 'JSON in a Buffer', body: Buffer.from('{"message":"from a buffer"}'), message: 'from a buffer'},
  {shape: 'plain text in a Buffer', body: Buffer.from('plain failure'), message: 'plain failure'},
  {shape: 'plain text over several lines', body: 'line one\n   line two', message: 'line one line two'},
  {
    shape: 'an HTML page: its title, then its text without head, script or style',
    body: HTML_PAGE,
    message: 'Service Unavailable: Down for maintenance',
  },
  {
    shape: 'HTML entities',
    body: '<p>a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;&nbsp;e</p>',
    message: `a <b> & "c" 'd' e`,
  },
  {shape: 'JSON it does not know: the raw text', body: '{"weird": true}', message: '{"weird": true}'},
  {shape: 'broken JSON: the raw text', body: '{not json', message: '{not json'},
  {shape: 'a JSON array: the raw text', body: '["a"]', message: '["a"]'},
  {shape: 'a number', body: 42, message: '42'},
  {
    shape: 'control characters: escaped',
    body: {message: 'bad\u001B]0;pwned\u0007'},
    message: String.raw`bad\u001b]0;pwned\u0007`,
  },
  {shape: 'a long message: cut to 200 characters', body: {message: 'x'.repeat(300)}, message: `${'x'.repeat(199)}…`},
  {shape: 'an empty string', body: '', message: undefined},
  {shape: 'only whitespace', body: '  \n ', message: undefined},
  {shape: 'no body', body: undefined, message: undefined},
  {shape: 'null', body: null, message: undefined},
  {shape: 'an object of no known shape', body: {status: 500}, message: undefined},
]

describe('error bodies', () => {
  describe('atlassianMessageFrom: each body shape gives the message a user reads', () => {
    for (const {shape, body, message} of BODIES) {
      it(shape, () => {
        expect(atlassianMessageFrom(body)).to.equal(message)
      })
    }
  })

  describe("oauthErrorFrom: the OAuth host's error code, only when it looks like one", () => {
    const CODES: ReadonlyArray<[string, string | undefined]> = [
      ['{"error":"invalid_grant","error_description":"expired"}', 'invalid_grant'],
      ['{"error":"access_denied"}', 'access_denied'],
      ['{"error":"Invalid Grant <script>"}', undefined],
      ['{"error":{"code":"x"}}', undefined],
      ['null', undefined],
      ['not json', undefined],
    ]
    for (const [body, code] of CODES) {
      it(`${body} -> ${code}`, () => {
        expect(oauthErrorFrom(body)).to.equal(code)
      })
    }
  })

  it('reads at most 256 KiB of an error body, as text whatever form got gave it', () => {
    expect(bodyText(undefined)).to.equal('')
    expect(bodyText({message: 'm'})).to.equal('{"message":"m"}')
    expect(bodyText(Buffer.alloc(300 * 1024, 'a'))).to.have.length(256 * 1024)
    expect(bodyText('b'.repeat(300 * 1024))).to.have.length(256 * 1024)
  })
})
