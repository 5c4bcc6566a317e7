// A port already taken would make one service fail with EADDRINUSE deep in its log; check first
// and say which port and what to do.
import net from 'node:net';

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    });
    // The services listen on every interface (::), so check the same.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

export function portInUseMessage(port: number, service: string): string {
  return (
    `Port ${port} is already in use, so ${service} cannot start. ` +
    `Stop whatever listens on port ${port} (for example an earlier \`npm start\`; see \`lsof -i :${port}\`) and try again.`
  );
}
