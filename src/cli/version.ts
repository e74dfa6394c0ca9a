/** berth's version, as `berth --version` prints it and as field managers and reports carry it. */
export const version = '0.1.0';
