// Minimal typings for the parts of dcmjs-dimse we use.
declare module 'dcmjs-dimse' {
  const dimse: any
  export default dimse
}
