// Analysis worker thread (parse + analysis off the extension host thread).
export {};
