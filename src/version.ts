/** teamgraph's version, as the CLI and the control plane report it. */
export const version = '0.1.0';
