/** Opens the shell's file picker from anywhere (an empty state's Upload button); the shell registers it. */
export const uploadPicker: { open: () => void } = { open: () => {} };
