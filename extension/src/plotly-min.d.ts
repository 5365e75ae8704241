// The plotly.js dist packages ship no types; plotly/load.ts narrows them to the small API the renderers use.
declare module 'plotly.js-dist-min' {
  const Plotly: unknown;
  export default Plotly;
}
declare module 'plotly.js-cartesian-dist-min' {
  const Plotly: unknown;
  export default Plotly;
}
