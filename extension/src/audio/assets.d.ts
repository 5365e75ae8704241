/** Sample files imported as URLs (webpack asset/resource). */
declare module '*.ogg' {
  const url: string;
  export default url;
}
