import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** The mail as a person reads it: quoted-printable undone. */
export function decodeQuotedPrintable(data: string) {
  const joined = data.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(joined[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A local SMTP server that keeps every mail it receives (decoded), for `SMTP_URL`; it can be told
 * to refuse the next mails, or to hold mails unanswered, like an operator's server in trouble.
 */
export async function startSmtpSink() {
  const received: { to: string[]; data: string }[] = [];
  let refusals = 0;
  let holding = false;
  const held: (() => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk) => {
        data += chunk;
      });
      stream.on('end', () => {
        if (refusals > 0) {
          refusals -= 1;
          callback(Object.assign(new Error('mailbox temporarily unavailable'), { responseCode: 451 }));
          return;
        }
        const accept = () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data: decodeQuotedPrintable(data) });
          callback();
        };
        if (holding) held.push(accept);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailsTo: (email: string) => received.filter((mail) => mail.to.includes(email)),
    /** Refuses the next `count` mails with 451. */
    refuseNext(count: number) {
      refusals = count;
    },
    /** How many of the refusals asked for are still to come. */
    refusalsLeft: () => refusals,
    /** Leaves the mails that arrive from now on unanswered (the sender waits) until `release`. */
    hold() {
      holding = true;
    },
    /** How many mails are held unanswered. */
    heldCount: () => held.length,
    /** Answers (accepts) the held mails and takes further ones at once again. */
    release() {
      holding = false;
      for (const accept of held.splice(0)) accept();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
