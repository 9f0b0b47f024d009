// Enrols a coordinator of TERRITORY on the running server and prints her session cookie
// ("name=value") for wrk (bench/stats/run.sh). Uses the integration tests' helpers.
//   node bench/stats/sign-in.mjs BASE_URL DB_URL DATA_DIR TERRITORY
import { Professional } from '../../tests/integration/pro-harness.mjs';

const [baseUrl, db, dataDir, territory] = process.argv.slice(2);
const server = { baseUrl, db, dir: dataDir.replace(/\/data$/, '') };
const coordinator = new Professional(baseUrl, 'bench-stats@example.org');
await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', territory]);
process.stdout.write(`${coordinator.cookie}\n`);
