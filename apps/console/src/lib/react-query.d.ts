import '@tanstack/react-query';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** `false`: the caller shows the error itself (forms show it inline), no toast. */
      errorToast?: boolean;
    };
  }
}
