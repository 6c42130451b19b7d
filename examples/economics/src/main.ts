import { walkthrough } from './walkthrough.js'

console.log(walkthrough())
