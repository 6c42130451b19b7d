// The worker script of deidentifyFiles (`@btt/connectors/deid/worker`, started by
// startDeidWorker): loads the de-identification code as soon as it starts, then serves its job.
import { serveDeidJob } from './deidWorker.js'

serveDeidJob()
