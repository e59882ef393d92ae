// Realtime sync comes with its own issue.
export {};
