import { randomBytes } from "node:crypto";
import path from "node:path";

export interface Backend {
  name: "sqlite" | "postgres";
}

/** The PostgreSQL server tests may create databases on (a superuser URL), when the machine has one. */
export const testPostgresUrl = (): string | undefined => process.env.UMBRA_TEST_PG_URL || undefined;

/** SQLite always; PostgreSQL when UMBRA_TEST_PG_URL is set. */
export const backends: Backend[] = [
  { name: "sqlite" },
  ...(testPostgresUrl() ? [{ name: "postgres" as const }] : []),
];

export interface TestDatabase {
  /** What UMBRA_DATABASE_URL takes: a SQLite file path or a postgres:// URL. */
  url: string;
  drop(): Promise<void>;
}

/** A fresh database for one test file: a SQLite path inside `dataDir`, or a new PostgreSQL database. */
export async function createDatabase(backend: Backend, dataDir: string): Promise<TestDatabase> {
  if (backend.name === "sqlite")
    return { url: path.join(dataDir, "umbra.sqlite"), drop: async () => undefined };
  const adminUrl = testPostgresUrl();
  if (!adminUrl) throw new Error("the postgres backend needs UMBRA_TEST_PG_URL");
  // Loaded here so that tests which never touch PostgreSQL do not load its driver.
  const { default: pg } = await import("pg");
  const asAdmin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  const name = `umbra_test_${randomBytes(6).toString("hex")}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
