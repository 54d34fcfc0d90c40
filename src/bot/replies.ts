/** What the bot answers to stop / start / anything else (PRODUCT.md §2 "Opt-out"). */
export function replyText(command: 'stop' | 'start' | 'help', app: { name: string; offer: string }): string {
  switch (command) {
    case 'stop':
      return `Done: ${app.name} will not send you notifications any more. Reply **start** if you change your mind.`;
    case 'start':
      return `Welcome back: ${app.name} notifications are on again. Reply **stop** to turn them off.`;
    default:
      return `I'm ${app.name}. ${app.offer}\n\nCommands: **help** shows this message · **stop** turns off notifications · **start** turns them back on.`;
  }
}
