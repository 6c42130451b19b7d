/** `btt tokenize`'s usage text. */
export const tokenizeUsage = `Usage:
  btt tokenize deploy   --rpc <url> --key <file> [--out tokenize.json] [--currency <address>] [--force]
  btt tokenize register --asset <asset.json>
  btt tokenize mint     --asset-id <id> --supply <units> --name <name> --symbol <SYM> [--holding-limit <units>] [--accredited-only]
  btt tokenize verify   --investor <address> --country <n> --expires <ISO date> [--accredited]
  btt tokenize trade    --asset-id <id> --seller-key <file> --buyer-key <file> --amount <units> --price <units> [--ttl <s>]
  btt tokenize revalue  --asset-id <id> --value <units> --date <ISO date> --method <m> --appraiser <a>
  btt tokenize distribute --asset-id <id> (--record-block <n> | --record-date <ISO date>) --total <units> [--id <0x…32 bytes>] [--batch-size <n>]

Every command but deploy also takes --rpc <url> --key <file> (the agent's or payer's key),
--deployment <file> (default tokenize.json) and --ledger <file> (the embedded PayFi ledger where
fees are recorded; default tokenize-ledger.sqlite). Amounts are whole base units (CNY: fen;
tokens and the settlement currency: 18 decimals). deploy without --currency deploys a test
settlement token (the deployer mints; never on a real network). --json prints one JSON object.
asset.json: { "id", "type": "equipment|property|ip|service-rights", "owner", "currency",
"tier": { "complexity", "regulatory", "assetClass" }, "valuation": { "value", "date", "method",
"appraiser" }, "documents": [{ "name", "uri", "file" }] } (each file is hashed, sha-256; a relative
"file" is relative to asset.json).`
