import { describeError } from "./toasts.svelte.js";

/**
 * What a form's submit does while its action runs: the form is busy, and a failure is shown in its own words in
 * the form (`error`) rather than as a toast. One per form (log in, unlock, sign up, recover).
 */
export class FormAction {
  busy = $state(false);
  error = $state("");

  /** Runs `action` for a submit event: the page does not reload, the previous error is cleared. */
  submit(event: SubmitEvent, action: () => Promise<void>): Promise<void> {
    event.preventDefault();
    return this.run(action);
  }

  async run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = "";
    try {
      await action();
    } catch (e) {
      this.error = describeError(e);
    } finally {
      this.busy = false;
    }
  }
}
