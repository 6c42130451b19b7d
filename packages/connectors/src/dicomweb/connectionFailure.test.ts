import { expect, test } from 'vitest'
import { connectionFailure } from './connectionFailure.js'

const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause })

test('each cause code is named: refused, DNS (with the host), TLS, reset; unknown ones keep the message', () => {
  expect(connectionFailure(fetchFailed({ code: 'ECONNREFUSED' }))).toEqual({
    category: 'refused',
    errorCode: 'ECONNREFUSED',
    reason: 'connection refused (ECONNREFUSED)',
  })
  expect(connectionFailure(fetchFailed({ code: 'EAI_AGAIN', hostname: 'pacs.example' }))).toEqual({
    category: 'dns',
    errorCode: 'EAI_AGAIN',
    reason: 'host name pacs.example could not be resolved (EAI_AGAIN)',
  })
  expect(connectionFailure(fetchFailed({ code: 'CERT_HAS_EXPIRED' })).category).toBe('tls')
  expect(connectionFailure(fetchFailed({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' })).category).toBe(
    'tls',
  )
  // body stream cut: undici's TypeError('terminated') over a SocketError
  expect(
    connectionFailure(new TypeError('terminated', { cause: { code: 'UND_ERR_SOCKET' } })),
  ).toMatchObject({ category: 'reset', errorCode: 'UND_ERR_SOCKET' })
  expect(connectionFailure(new Error('odd'))).toEqual({
    category: 'other',
    errorCode: undefined,
    reason: 'odd',
  })
})

test('an AggregateError (IPv6 then IPv4 refused) is read through its errors', () => {
  const both = Object.assign(
    new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }]),
    {},
  )
  expect(connectionFailure(fetchFailed(both)).category).toBe('refused')
})
