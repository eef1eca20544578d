// One seeding process of several (see seedLibrary): logs in as its own device and uploads the numbers it is sent.
import { UmbraClient } from "@umbra/client";
import { seedIndices } from "./seed-library.js";

interface SeedJob {
  serverUrl: string;
  email: string;
  password: string;
  indices: number[];
}

process.once("message", async (message) => {
  const job = message as SeedJob;
  const client = new UmbraClient({ serverUrl: job.serverUrl });
  await client.login(job.email, job.password, `web-bench-seed-${process.pid}`);
  const uploaded = await seedIndices(client, job.indices);
  process.send?.({ uploaded }, () => process.exit(0));
});
