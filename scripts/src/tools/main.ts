// Placeholder until the toolchain installer lands: nothing to install yet.
console.log('tools: nothing to install yet');
