// The slash bench's baseline, in a process of its own as the bot is: a bare Bolt app on the same
// HTTP receiver whose /kpi listener only acks, i.e. what Bolt's signature check and routing cost on
// their own. Prints `port <n>` once listening; stops on SIGTERM. Plain JavaScript, run by plain node.
import bolt from '@slack/bolt';

const app = new bolt.App({
  token: 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL },
  tokenVerificationEnabled: false,
  logLevel: bolt.LogLevel.ERROR,
});
app.command('/kpi', async ({ ack }) => ack());
const server = await app.start(0);
process.stdout.write(`port ${server.address().port}\n`);
process.once('SIGTERM', () => void app.stop().then(() => process.exit(0)));
