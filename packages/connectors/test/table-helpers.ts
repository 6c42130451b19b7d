import { actionTable, rowFor } from '../src/deid/actionTable.js'

export { actionTable }
export const resolveForTest = (tag: string) => rowFor(actionTable(), tag)
