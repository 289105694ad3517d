/** JSON as the target descriptions and the workloads hold their templates. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
