// Extra rules for the prebuilt labextension: the piano samples are emitted as files beside the bundle (named by
// content hash: their own names hold '#', which a URL reads as a fragment) and
// fetched (same origin, no network) only when a roll is first played.
module.exports = {
  module: {
    rules: [{ test: /\.ogg$/, type: 'asset/resource', generator: { filename: 'piano/[contenthash:16][ext]' } }],
  },
};
