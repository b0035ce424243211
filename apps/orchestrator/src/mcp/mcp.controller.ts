import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ErrorCode as McpErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { All, Body, Controller, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { ErrorCode, SpineError } from '@spine/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AuthGuard } from '../auth/auth.guard.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { McpErpToolsService } from './mcp-erp-tools.service.js';
import { McpFlowsService } from './mcp-flows.service.js';

const VERSION = '0.1.0';

/**
 * `/mcp`: an MCP server (Streamable HTTP, stateless: every POST stands alone, so any replica answers) that offers
 * the key's tenant's flows, and the ERP tools the key's role may call, as tools, for Claude Desktop, Cursor or any MCP client. The API key is the bearer token.
 */
@ApiExcludeController()
@Controller('mcp')
@UseGuards(AuthGuard)
export class McpController {
  constructor(
    private readonly flows: McpFlowsService,
    private readonly erp: McpErpToolsService,
  ) {}

  @Post()
  async post(@CurrentPrincipal() p: Principal, @Req() req: IncomingMessage, @Res() res: ServerResponse, @Body() body: unknown): Promise<void> {
    const server = this.serverFor(p);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  /** A stateless server keeps no stream open for server-initiated messages and has no session to delete. */
  @All()
  other(@Res() res: ServerResponse): void {
    res.writeHead(405, { 'content-type': 'application/json', allow: 'POST' });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message: 'Method not allowed: this MCP server is stateless, POST only' }, id: null }));
  }

  private serverFor(p: Principal): Server {
    const server = new Server({ name: 'spine', title: 'Spine flows', version: VERSION }, { capabilities: { tools: { listChanged: false } } });
    server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...(await this.flows.tools(p)), ...this.erp.tools(p)] }));
    server.setRequestHandler(CallToolRequestSchema, async (request) => {
      try {
        const { name, arguments: args = {} } = request.params;
        return await (this.erp.owns(name) ? this.erp.call(p, name, args) : this.flows.call(p, name, args));
      } catch (err) {
        if (err instanceof SpineError && (err.code === ErrorCode.NOT_FOUND || err.code === ErrorCode.INVALID_ARGUMENT)) throw new McpError(McpErrorCode.InvalidParams, err.message);
        throw err;
      }
    });
    return server;
  }
}
