/** The error a promise rejects with; a promise that resolves fails the test (a refusal was expected). */
export async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal, but it resolved");
}
